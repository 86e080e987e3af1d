# source: https://github.com/tensorflow/tensorflow/issues/54449 (the
# variable_scope note on threads: a thread does not see another thread's
# scope; capture the scope object and re-enter it in the thread)
import threading

import tensorflow as tf

g = tf.Graph()
with g.as_default():
    with tf.variable_scope("model") as model_scope:
        with tf.variable_scope("encoder"):
            w = tf.get_variable("w", [8, 8])
        model_scope.reuse_variables()


def worker():
    with g.as_default():
        with tf.variable_scope(model_scope):
            with tf.variable_scope("encoder"):
                tf.get_variable("w", [8, 8])


threads = [threading.Thread(target=worker) for _ in range(2)]
for t in threads:
    t.start()
    t.join()
