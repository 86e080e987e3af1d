"""examples/python/resnet_bug_noreuse.py - resnet.py with the evaluation graph
built outside a reuse scope, so its first convolution is made again
(ValueError: Variable conv0/kernel already exists).
Run: vstrace record -- python3 -m vstrace.run examples/python/resnet_bug_noreuse.py"""
import tensorflow as tf


def residual_block(x, filters, training, name):
    with tf.variable_scope(name):
        shortcut = x
        h = tf.layers.conv2d(x, filters, 3, padding="same", use_bias=False, name="conv1")
        h = tf.nn.relu(tf.layers.batch_normalization(h, training=training, name="bn1"))
        h = tf.layers.conv2d(h, filters, 3, padding="same", use_bias=False, name="conv2")
        h = tf.layers.batch_normalization(h, training=training, name="bn2")
        return tf.nn.relu(h + shortcut)


def model(images, training):
    x = tf.layers.conv2d(images, 16, 3, padding="same", name="conv0")
    x = residual_block(x, 16, training, "block1")
    x = residual_block(x, 16, training, "block2")
    return tf.layers.dense(tf.reduce_mean(x, [1, 2]), 10, name="fc")


def main():
    images = tf.placeholder(tf.float32, [None, 32, 32, 3], name="images")
    labels = tf.placeholder(tf.int64, [None], name="labels")
    logits = model(images, training=True)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=labels, logits=logits))
    global_step = tf.train.get_or_create_global_step()
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        train_op = tf.train.MomentumOptimizer(0.1, 0.9).minimize(loss, global_step=global_step)
    ema = tf.train.ExponentialMovingAverage(0.999)
    with tf.control_dependencies([train_op]):
        train_op = ema.apply(tf.trainable_variables())
    eval_logits = model(images, training=False)  # BUG: not under a reuse scope
    with tf.Session() as sess:
        sess.run(train_op)
    for v in tf.global_variables():
        print(v.name, v.shape)


if __name__ == "__main__":
    main()
