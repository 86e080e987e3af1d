# source: https://github.com/tensorflow/tensorflow/issues/2740 (the TF
# developer's advice: do not put ExponentialMovingAverage in reuse=True
# scopes it does not need to be in)
# W is shared inside reuse=True; ema.apply runs after the scope is left, so
# its variables are created normally.
import tensorflow as tf

with tf.variable_scope("s"):
    W = tf.get_variable("W", [])
with tf.variable_scope("s", reuse=True):
    W2 = tf.get_variable("W", [])
v = W2 + 1
ema = tf.train.ExponentialMovingAverage(decay=0.99)
update = ema.apply([v])
print(ema.average(v).name)
