# source: https://github.com/tensorflow/tensorflow/issues/49021
# The same variable scope is entered three times with AUTO_REUSE (and
# reuse_variables()); v and w are shared, the ops land in
# my_variable_scope_1/ and my_variable_scope_2/.
import tensorflow as tf

for i in range(3):
    with tf.variable_scope("my_variable_scope", reuse=tf.AUTO_REUSE):
        if i > 0:
            tf.get_variable_scope().reuse_variables()
        v = tf.get_variable("v", [1])
        w = tf.get_variable("w", [1])
        out = v + w
        print(out.name)
