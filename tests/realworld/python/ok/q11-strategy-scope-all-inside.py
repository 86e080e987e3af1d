# source: https://github.com/tensorflow/tensorflow/issues/55713 (the
# suggested fix: create the model and the optimizer under strategy.scope())
import tensorflow as tf

strategy = tf.distribute.MirroredStrategy()
x = tf.placeholder(tf.float32, [None, 10])
y = tf.placeholder(tf.float32, [None, 1])
with strategy.scope():
    with tf.variable_scope("model"):
        pred = tf.layers.dense(x, 1, name="dense")
    loss = tf.losses.mean_squared_error(y, pred)
    train_op = tf.train.AdamOptimizer(0.001).minimize(loss)
