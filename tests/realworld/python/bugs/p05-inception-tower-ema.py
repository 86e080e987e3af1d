# source: https://github.com/tensorflow/models/pull/778 (also
# https://github.com/tensorflow/tensorflow/issues/5744)
# Inception's multi-GPU trainer: _tower_loss() builds the model and keeps an
# ExponentialMovingAverage of the losses (name 'avg'); after tower 0 the loop
# calls tf.get_variable_scope().reuse_variables() on the root scope, so tower
# 1's moving averages are created under reuse and do not exist.  The fix in
# the pull request passes reuse to the model only.
# RAISES: ValueError: Variable tower_1/total_loss/avg/ does not exist
import tensorflow as tf

slim = tf.contrib.slim
FLAGS_num_gpus = 2


def inference(images, num_classes, scope):
    with slim.arg_scope([slim.conv2d, slim.fully_connected], weights_regularizer=slim.l2_regularizer(4e-5)):
        net = slim.conv2d(images, 32, [3, 3], stride=2, scope="conv0")
        net = slim.conv2d(net, 64, [3, 3], scope="conv1")
        net = slim.flatten(net)
        return slim.fully_connected(net, num_classes, activation_fn=None, scope="logits")


def _tower_loss(images, labels, num_classes, scope):
    logits = inference(images, num_classes, scope)
    tf.losses.softmax_cross_entropy(labels, logits)
    losses = tf.get_collection(tf.GraphKeys.LOSSES, scope)
    regularization_losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    total_loss = tf.add_n(losses + regularization_losses, name="total_loss")
    loss_averages = tf.train.ExponentialMovingAverage(0.9, name="avg")
    loss_averages_op = loss_averages.apply(losses + [total_loss])
    with tf.control_dependencies([loss_averages_op]):
        total_loss = tf.identity(total_loss)
    return total_loss


images = tf.placeholder(tf.float32, [32, 299, 299, 3])
labels = tf.placeholder(tf.float32, [32, 1001])
opt = tf.train.RMSPropOptimizer(0.1, decay=0.9, momentum=0.9, epsilon=1.0)
tower_grads = []
for i in range(FLAGS_num_gpus):
    with tf.device("/gpu:%d" % i):
        with tf.name_scope("tower_%d" % i) as scope:
            loss = _tower_loss(images, labels, 1001, scope)
            tf.get_variable_scope().reuse_variables()  # EXPECT: any
            grads = opt.compute_gradients(loss)
            tower_grads.append(grads)
