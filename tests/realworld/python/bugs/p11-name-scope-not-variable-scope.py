# source: https://github.com/dennybritz/cnn-text-classification-tf/issues/112
# The user moved W to tf.get_variable inside `with tf.name_scope(...)`
# blocks, expecting the name scopes to keep the two W apart.  get_variable
# ignores name scopes, so the second W collides with the first: "Variable W
# already exists, disallowed".
# RAISES: ValueError: Variable W already exists
import tensorflow as tf

num_filters_total, num_classes = 384, 2
h_pool_flat = tf.placeholder(tf.float32, [None, num_filters_total])

with tf.name_scope("hidden"):
    W = tf.get_variable("W", shape=[num_filters_total, 128],
                        initializer=tf.contrib.layers.xavier_initializer())
    b = tf.Variable(tf.constant(0.1, shape=[128]), name="b")
    hidden = tf.nn.relu(tf.nn.xw_plus_b(h_pool_flat, W, b))

with tf.name_scope("output"):
    W = tf.get_variable("W", shape=[128, num_classes],  # EXPECT: any
                        initializer=tf.contrib.layers.xavier_initializer())
    b = tf.Variable(tf.constant(0.1, shape=[num_classes]), name="b")
    scores = tf.nn.xw_plus_b(hidden, W, b, name="scores")
