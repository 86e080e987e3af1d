# source: https://github.com/tensorflow/tensorflow/issues/27120 (and
# https://github.com/tensorflow/tensorflow/issues/40381)
# train_step is decorated with tf.function and builds its Dense layer
# inside the function.  The first trace creates the kernel (lifted out of
# the function graph); a retrace for a new input shape creates another one:
# TF raises "tf.function-decorated function tried to create variables on
# non-first call".  The layer belongs outside the function.
import tensorflow as tf

tf.enable_eager_execution()


@tf.function
def train_step(x):
    layer = tf.keras.layers.Dense(10)  # EXPECT: any
    return tf.reduce_sum(layer(x))


print(train_step(tf.zeros([8, 4])))
print(train_step(tf.zeros([16, 4])))
