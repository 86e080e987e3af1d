# source: https://github.com/vahidk/EffectiveTensorflow/issues/28
# The guide meant features1 and features2 to share one convolution: both
# calls run inside one variable_scope("scope", reuse=tf.AUTO_REUSE).  The
# layers are unnamed, so the second one gets the default name conv2d_1: two
# kernels, no sharing, and no error.  The guide's fix enters the AUTO_REUSE
# scope once per call (or names the layer).
import tensorflow as tf

image1 = tf.placeholder(tf.float32, [None, 32, 32, 3])
image2 = tf.placeholder(tf.float32, [None, 32, 32, 3])

with tf.variable_scope("scope", reuse=tf.AUTO_REUSE):  # EXPECT: any
    features1 = tf.layers.conv2d(image1, filters=32, kernel_size=3)
    features2 = tf.layers.conv2d(image2, filters=32, kernel_size=3)  # EXPECT: any

print([v.name for v in tf.global_variables()])
