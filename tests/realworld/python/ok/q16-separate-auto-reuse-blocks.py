# source: https://github.com/vahidk/EffectiveTensorflow/issues/28 (the
# maintainer's fix: one `with tf.variable_scope("scope",
# reuse=tf.AUTO_REUSE)` block per conv2d call, so the default layer name
# restarts and both calls get scope/conv2d)
import tensorflow as tf

image1 = tf.placeholder(tf.float32, [None, 32, 32, 3])
image2 = tf.placeholder(tf.float32, [None, 32, 32, 3])
with tf.variable_scope("scope", reuse=tf.AUTO_REUSE):
    features1 = tf.layers.conv2d(image1, filters=32, kernel_size=3)
with tf.variable_scope("scope", reuse=tf.AUTO_REUSE):
    features2 = tf.layers.conv2d(image2, filters=32, kernel_size=3)
print([v.name for v in tf.global_variables()])
