# source: https://joneswong.github.io/daily/tf/2018/07/25/tf-var-sharing.html
# (the make_template example of the TF 1.x docs: scale_by_y called for two
# inputs shares y)
import tensorflow as tf


def my_op(x, scalar_name):
    var1 = tf.get_variable(scalar_name, shape=[], initializer=tf.constant_initializer(1))
    return x * var1


scale_by_y = tf.make_template("scale_by_y", my_op, scalar_name="y")
input1 = tf.placeholder(tf.float32, [3])
input2 = tf.placeholder(tf.float32, [3])
z = scale_by_y(input1)
w = scale_by_y(input2)
print([v.name for v in scale_by_y.trainable_variables])
