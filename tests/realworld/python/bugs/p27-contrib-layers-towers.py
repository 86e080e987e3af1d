# source: https://github.com/tensorflow/tensorflow/issues/4978 (also
# https://github.com/tflearn/tflearn/issues/402)
# build_fc_dnn() stacks unnamed fully_connected layers; each tower runs it
# under a name_scope and then calls reuse_variables() on the root scope.
# The layers' default names are counted per variable scope, which the name
# scope does not change: tower 1 asks for fully_connected_2, which does not
# exist.  Give the layers names, or re-enter one variable scope per tower.
# RAISES: ValueError: Variable fully_connected_2/weights does not exist
import tensorflow as tf

layers = tf.contrib.layers


def build_fc_dnn(x, n_classes):
    net = layers.fully_connected(x, 20)
    net = layers.fully_connected(net, n_classes, activation_fn=None)  # EXPECT: any
    return net


x = tf.placeholder(tf.float32, [None, 784])
y = tf.placeholder(tf.int64, [None])
opt = tf.train.GradientDescentOptimizer(0.1)
tower_grads = []
for i in range(2):
    with tf.device("/gpu:%d" % i):
        with tf.name_scope("tower_%d" % i):
            logits = build_fc_dnn(x, 10)
            loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
            tf.get_variable_scope().reuse_variables()  # EXPECT: any
            tower_grads.append(opt.compute_gradients(loss))
