# source: https://github.com/pochih/RL-Chatbot/issues/7 (same error:
# https://github.com/tsenghungchen/SA-tensorflow/issues/11)
# build_model() unrolls the encoder with `if i > 0:
# tf.get_variable_scope().reuse_variables()` outside any variable scope of
# its own, so the root scope reuses from then on; AdamOptimizer.minimize
# wrapped in variable_scope(tf.get_variable_scope(), reuse=None) then fails:
# "Variable Wemb/Adam/ does not exist".  The fix in the thread wraps
# build_model in `with tf.variable_scope(tf.get_variable_scope()):`.
# RAISES: ValueError: Variable Wemb/Adam/ does not exist
import tensorflow as tf


class Seq2Seq(object):
    def __init__(self, dim_wordvec, n_words, dim_hidden, batch_size, n_encode_lstm_step, lr=1e-4):
        self.dim_wordvec, self.n_words, self.dim_hidden = dim_wordvec, n_words, dim_hidden
        self.batch_size, self.n_encode_lstm_step, self.lr = batch_size, n_encode_lstm_step, lr
        self.Wemb = tf.Variable(tf.random_uniform([n_words, dim_hidden], -0.1, 0.1), name="Wemb")
        self.lstm1 = tf.contrib.rnn.BasicLSTMCell(dim_hidden, state_is_tuple=False)
        self.lstm2 = tf.contrib.rnn.BasicLSTMCell(dim_hidden, state_is_tuple=False)
        self.encode_vector_W = tf.Variable(tf.random_uniform([dim_wordvec, dim_hidden], -0.1, 0.1),
                                           name="encode_vector_W")
        self.encode_vector_b = tf.Variable(tf.zeros([dim_hidden]), name="encode_vector_b")

    def build_model(self):
        word_vectors = tf.placeholder(tf.float32, [self.batch_size, self.n_encode_lstm_step,
                                                   self.dim_wordvec])
        flat = tf.reshape(word_vectors, [-1, self.dim_wordvec])
        wordvec_emb = tf.nn.xw_plus_b(flat, self.encode_vector_W, self.encode_vector_b)
        wordvec_emb = tf.reshape(wordvec_emb, [self.batch_size, self.n_encode_lstm_step,
                                               self.dim_hidden])
        state1 = tf.zeros([self.batch_size, self.lstm1.state_size])
        state2 = tf.zeros([self.batch_size, self.lstm2.state_size])
        padding = tf.zeros([self.batch_size, self.dim_hidden])
        loss = 0.0
        for i in range(0, self.n_encode_lstm_step):
            if i > 0:
                tf.get_variable_scope().reuse_variables()  # EXPECT: any
            with tf.variable_scope("LSTM1"):
                output1, state1 = self.lstm1(wordvec_emb[:, i, :], state1)
            with tf.variable_scope("LSTM2"):
                output2, state2 = self.lstm2(tf.concat([padding, output1], 1), state2)
            loss = loss + tf.reduce_sum(output2)
        return loss


model = Seq2Seq(dim_wordvec=300, n_words=5000, dim_hidden=1000, batch_size=50, n_encode_lstm_step=4)
tf_loss = model.build_model()
with tf.variable_scope(tf.get_variable_scope(), reuse=None):
    train_op = tf.train.AdamOptimizer(model.lr).minimize(tf_loss)
