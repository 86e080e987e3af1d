# source: https://github.com/gaussic/text-classification-cnn-rnn/issues/144
# The TextCNN model cell of a notebook is run a second time in the same
# kernel (the maintainer: "embedding can only be created once; are you
# using notebook or spyder?").  The second TextCNN() creates 'embedding'
# again in the same default graph: ValueError "Variable embedding already
# exists, disallowed".  Fix: tf.reset_default_graph() before rebuilding.
# RAISES: ValueError: Variable embedding already exists
import tensorflow as tf


class TCNNConfig(object):
    embedding_dim = 64
    seq_length = 600
    num_classes = 10
    num_filters = 256
    kernel_size = 5
    vocab_size = 5000
    hidden_dim = 128
    learning_rate = 1e-3


class TextCNN(object):
    def __init__(self, config):
        self.config = config
        self.input_x = tf.placeholder(tf.int32, [None, config.seq_length], name="input_x")
        self.input_y = tf.placeholder(tf.float32, [None, config.num_classes], name="input_y")
        self.keep_prob = tf.placeholder(tf.float32, name="keep_prob")
        self.cnn()

    def cnn(self):
        with tf.device("/cpu:0"):
            embedding = tf.get_variable("embedding", [self.config.vocab_size, self.config.embedding_dim])
            embedding_inputs = tf.nn.embedding_lookup(embedding, self.input_x)
        with tf.name_scope("cnn"):
            conv = tf.layers.conv1d(embedding_inputs, self.config.num_filters,
                                    self.config.kernel_size, name="conv")
            gmp = tf.reduce_max(conv, reduction_indices=[1], name="gmp")
        with tf.name_scope("score"):
            fc = tf.layers.dense(gmp, self.config.hidden_dim, name="fc1")
            fc = tf.contrib.layers.dropout(fc, self.keep_prob)
            fc = tf.nn.relu(fc)
            self.logits = tf.layers.dense(fc, self.config.num_classes, name="fc2")
            self.y_pred_cls = tf.argmax(tf.nn.softmax(self.logits), 1)
        with tf.name_scope("optimize"):
            cross_entropy = tf.nn.softmax_cross_entropy_with_logits(logits=self.logits, labels=self.input_y)
            self.loss = tf.reduce_mean(cross_entropy)
            self.optim = tf.train.AdamOptimizer(learning_rate=self.config.learning_rate).minimize(self.loss)
        with tf.name_scope("accuracy"):
            correct_pred = tf.equal(tf.argmax(self.input_y, 1), self.y_pred_cls)
            self.acc = tf.reduce_mean(tf.cast(correct_pred, tf.float32))


# In [3]:
config = TCNNConfig()
model = TextCNN(config)
print("Configuring CNN model...")

# In [3] again (the cell re-run after editing the config)
config = TCNNConfig()
model = TextCNN(config)  # EXPECT: any
