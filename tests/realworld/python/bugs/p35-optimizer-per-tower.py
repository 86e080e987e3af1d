# source: https://github.com/tensorflow/tensorflow/issues/6220 (multi-GPU
# towers where each tower built its own AdamOptimizer)
# Each tower re-enters the root scope with reuse=(i > 0) and calls
# minimize() inside it.  Leaving the root scope resets the default-name
# counters, so tower 1's slot scope gets tower 0's name (layer_1/h1/Adam)
# and, under the tower's reuse=True, silently binds tower 0's slot: TF
# raises nothing and the two optimizers share one slot.  The minimize()
# belongs after the tower loop, on the averaged gradients.
import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 494])
train_ops = []
for i in range(2):
    with tf.device("/gpu:%d" % i), tf.name_scope("tower_%d" % i):
        with tf.variable_scope(tf.get_variable_scope(), reuse=(i > 0)):
            with tf.variable_scope("layer_1"):
                h1 = tf.get_variable("h1", [494, 2048])
                b1 = tf.get_variable("b1", [2048], initializer=tf.zeros_initializer())
                layer_1 = tf.nn.relu(tf.matmul(x, h1) + b1)
            loss = tf.reduce_mean(layer_1)
            train_ops.append(tf.train.AdamOptimizer(1e-3).minimize(loss))  # EXPECT: VS117
