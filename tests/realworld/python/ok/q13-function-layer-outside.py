# source: https://github.com/tensorflow/tensorflow/issues/27120 (the
# documented fix: create variables only once, outside the traced function)
# The Dense layer is built before the tf.function; every trace, including
# the retrace for a new batch size, only uses its variables.
import tensorflow as tf

tf.enable_eager_execution()
layer = tf.keras.layers.Dense(10)
layer.build(tf.TensorShape([None, 4]))


@tf.function
def train_step(x):
    return tf.reduce_sum(layer(x))


print(train_step(tf.zeros([8, 4])))
print(train_step(tf.zeros([16, 4])))
