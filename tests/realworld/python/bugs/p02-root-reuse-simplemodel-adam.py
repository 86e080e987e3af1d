# source: https://github.com/tensorflow/tensorflow/issues/6220 (minimal
# program in a comment, re-filed as https://github.com/tensorflow/tensorflow/issues/13887)
# Two copies of a small model share w: the script calls
# tf.get_variable_scope().reuse_variables() at top level between them.
# That switches the root scope to reuse for good, so the second model's
# AdamOptimizer cannot create its slots: "Variable w/Adam_2/ does not exist,
# or was not created with tf.get_variable()".
# RAISES: ValueError: Variable w/Adam_2/ does not exist
import tensorflow as tf


class SimpleModel(object):
    def __init__(self):
        self.x = tf.placeholder(tf.float32, [None, 1])
        self.y = tf.placeholder(tf.float32, [None, 1])
        w = tf.get_variable("w", [1])
        b = tf.Variable(tf.zeros([1]))
        pred = self.x * w + b
        self.loss = tf.reduce_mean(tf.square(pred - self.y))
        self.train_op = tf.train.AdamOptimizer(0.5).minimize(self.loss)


s1 = SimpleModel()
tf.get_variable_scope().reuse_variables()  # EXPECT: any
s2 = SimpleModel()

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(10):
        _, l1 = sess.run([s1.train_op, s1.loss], feed_dict={s1.x: [[1.0]], s1.y: [[2.0]]})
        _, l2 = sess.run([s2.train_op, s2.loss], feed_dict={s2.x: [[1.0]], s2.y: [[2.0]]})
        print("step %d: %.4f %.4f" % (step, l1, l2))
