# source: https://github.com/tensorflow/tensorflow/issues/1317 (variable
# reuse across calls; in eager mode the EagerVariableStore provides it)
# TF1 model code run eagerly: two forward passes share the weights because
# both run in one store.
import tensorflow as tf
import tensorflow.contrib.eager as tfe

tf.enable_eager_execution()


def dense(x):
    with tf.variable_scope("dense"):
        kernel = tf.get_variable("kernel", [4, 2])
        return tf.matmul(x, kernel)


store = tfe.EagerVariableStore()
x = tf.zeros([1, 4])
with store.as_default():
    y1 = dense(x)
with store.as_default():
    y2 = dense(x)
print([v.name for v in store.variables()])
