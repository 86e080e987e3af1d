# source: https://github.com/tensorflow/tensorflow/issues/8504
# conv1 = conv2d(x, name='conv'); conv2 = conv2d(x, name='conv',
# reuse=True): the weights are shared; only the op names differ, which TF
# intends.
import tensorflow as tf

x = tf.placeholder(tf.float32, [1, 4, 4, 3])
conv1 = tf.layers.conv2d(x, 3, [2, 2], padding="same", name="conv")
conv2 = tf.layers.conv2d(x, 3, [2, 2], padding="same", name="conv", reuse=True)
print(conv1.name, conv2.name)
