# source: https://github.com/vahidk/EffectiveTensorflow/issues/26
# features1 = conv2d(image1); then, to share the weights,
# `with tf.variable_scope(tf.get_variable_scope(), reuse=True):
# features2 = conv2d(image2)`.  The second unnamed layer is given the
# default name conv2d_1, which holds nothing: "Variable conv2d_1/kernel
# does not exist".
# RAISES: ValueError: Variable conv2d_1/kernel does not exist
import tensorflow as tf

image1 = tf.placeholder(tf.float32, [None, 32, 32, 3])
image2 = tf.placeholder(tf.float32, [None, 32, 32, 3])

features1 = tf.layers.conv2d(image1, filters=32, kernel_size=3)
with tf.variable_scope(tf.get_variable_scope(), reuse=True):
    features2 = tf.layers.conv2d(image2, filters=32, kernel_size=3)  # EXPECT: any
