# source: https://github.com/tensorflow/tensorflow/issues/8604
# body(i) makes w = tf.Variable(tf.constant(1)) inside tf.while_loop: the
# initial value is a tensor of the loop frame and the graph fails at run
# time ("has inputs from different frames"; newer TF: "Initializer for
# variable ... is from inside a control-flow construct").  Variables belong
# outside the loop.  (TF 1.15 raises when the variable is made.)
# RAISES: ValueError: Initializer for variable while/Variable/ is from inside a control-flow construct
import tensorflow as tf

i = tf.constant(0)


def cond(i):
    return tf.less(i, 10)


def body(i):
    w = tf.Variable(tf.constant(1))  # EXPECT: any
    return tf.add(i, w)


r = tf.while_loop(cond, body, [i])
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    print(sess.run(r))
