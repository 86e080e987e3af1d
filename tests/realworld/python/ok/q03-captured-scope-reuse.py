# source: https://github.com/google/prettytensor/issues/18 (the maintainer's
# pattern: with tf.variable_scope('my_scope') as vs: build_model();
# with tf.variable_scope(vs, reuse=True): build_model())
import tensorflow as tf


def build_model(x):
    w = tf.get_variable("weights", [784, 10])
    b = tf.get_variable("bias", [10], initializer=tf.zeros_initializer())
    return tf.nn.softmax(tf.matmul(x, w) + b)


train_x = tf.placeholder(tf.float32, [None, 784])
test_x = tf.placeholder(tf.float32, [None, 784])
with tf.variable_scope("my_scope") as vs:
    train_y = build_model(train_x)
with tf.variable_scope(vs, reuse=True):
    test_y = build_model(test_x)
