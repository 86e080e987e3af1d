# source: https://github.com/tensorflow/tensorflow/issues/54449 (the
# variable_scope note on threads it asks about: scopes are thread-local, the
# store is shared, "if another thread tries to create a new variable with
# the same name ... it will fail unless reuse is True")
# The main thread builds the shared encoder under scope "model" and turns
# reuse on; each worker thread enters the graph but not the scope, so it
# starts at its own non-reusing root scope: the first worker creates an
# unshared "encoder/w" at the root, the second fails with "already exists"
# (in its thread; the main thread goes on).
import threading

import tensorflow as tf

g = tf.Graph()
with g.as_default():
    with tf.variable_scope("model") as model_scope:
        with tf.variable_scope("encoder"):
            w = tf.get_variable("w", [8, 8])
        model_scope.reuse_variables()


def worker(x):
    with g.as_default():
        with tf.variable_scope("encoder"):  # EXPECT: any
            w = tf.get_variable("w", [8, 8])
            return tf.matmul(x, w)


def run(x):
    worker(x)


threads = []
for i in range(2):
    with g.as_default():
        x = tf.placeholder(tf.float32, [None, 8])
    t = threading.Thread(target=run, args=(x,))
    t.start()
    t.join()
print("built", len(g.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)), "variables")
