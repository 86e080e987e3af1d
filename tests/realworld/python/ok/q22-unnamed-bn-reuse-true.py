# source: https://github.com/tensorflow/tensorflow/issues/11103
# Two unnamed tf.layers.batch_normalization calls, the second with
# reuse=True, meant to share one layer between the training and the test
# input.  TF 1.1 gave the second layer the default name
# batch_normalization_1 ("does not exist"); since then an unnamed layer with
# reuse=True takes its base name without a counter (layers/base.py
# Layer._set_scope), so under TF 1.15 both calls share
# batch_normalization/{gamma,beta,moving_mean,moving_variance}.
import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 28])
x_test = tf.placeholder(tf.float32, [None, 28])
normalized_x = tf.layers.batch_normalization(x, training=True, reuse=None)
normalized_x_test = tf.layers.batch_normalization(x_test, training=False, reuse=True)
print([v.name for v in tf.global_variables()])
