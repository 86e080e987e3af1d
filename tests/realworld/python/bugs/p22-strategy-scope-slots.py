# source: https://github.com/tensorflow/tensorflow/issues/41768 (the
# message quoted in https://github.com/tensorflow/tensorflow/issues/32561)
# The model's variables are created before `with strategy.scope():`; only
# the optimizer is made inside it, so its slot variables are created under
# the strategy's variable creator while the variables they belong to are
# not: "Trying to create optimizer slot variable under the scope for
# tf.distribute.Strategy ..., which is different from the scope used for
# the original variable".  Create the model inside the scope too.
import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 10])
y = tf.placeholder(tf.float32, [None, 1])
with tf.variable_scope("model"):
    pred = tf.layers.dense(x, 1, name="dense")  # EXPECT: any
loss = tf.losses.mean_squared_error(y, pred)

strategy = tf.distribute.MirroredStrategy()
print("replicas:", strategy.num_replicas_in_sync)
with strategy.scope():
    optimizer = tf.train.RMSPropOptimizer(0.001)
    train_op = optimizer.minimize(loss)
