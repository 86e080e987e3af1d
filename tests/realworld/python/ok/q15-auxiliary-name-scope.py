# source: https://github.com/tensorflow/tensorflow/issues/49021 (the answer:
# auxiliary_name_scope=False with the scope's original_name_scope)
import tensorflow as tf

with tf.variable_scope("my_variable_scope") as vs:
    v = tf.get_variable("v", [1])
with tf.variable_scope(vs, auxiliary_name_scope=False, reuse=True) as vs1:
    with tf.name_scope(vs1.original_name_scope):
        v2 = tf.get_variable("v", [1])
        out = v2 + 1
print(out.name)
