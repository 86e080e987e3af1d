"""examples/python/towers_bug_noreuse.py - towers.py whose towers do not reuse:
tower 1 makes the first convolution again (ValueError: Variable conv1/kernel
already exists).
Run: vstrace record -- python3 -m vstrace.run examples/python/towers_bug_noreuse.py"""
import tensorflow as tf

NUM_GPUS, BATCH = 2, 64


def model(images):
    h = tf.layers.conv2d(images, 32, 5, padding="same", activation=tf.nn.relu, name="conv1")
    h = tf.layers.max_pooling2d(h, 2, 2)
    h = tf.layers.conv2d(h, 64, 5, padding="same", activation=tf.nn.relu, name="conv2")
    h = tf.layers.flatten(tf.layers.max_pooling2d(h, 2, 2))
    h = tf.layers.dense(h, 256, activation=tf.nn.relu, name="fc1")
    return tf.layers.dense(h, 10, name="logits")


def average_gradients(tower_grads):
    averaged = []
    for grad_and_vars in zip(*tower_grads):
        grad = tf.reduce_mean(tf.stack([g for g, _ in grad_and_vars]), 0)
        averaged.append((grad, grad_and_vars[0][1]))
    return averaged


def main():
    images = tf.placeholder(tf.float32, [NUM_GPUS * BATCH, 32, 32, 3], name="images")
    labels = tf.placeholder(tf.int64, [NUM_GPUS * BATCH], name="labels")
    global_step = tf.train.get_or_create_global_step()
    opt = tf.train.AdamOptimizer(1e-3)
    image_splits = tf.split(images, NUM_GPUS)
    label_splits = tf.split(labels, NUM_GPUS)
    tower_grads = []
    for i in range(NUM_GPUS):
        with tf.device("/gpu:%d" % i):
            with tf.name_scope("tower_%d" % i):
                with tf.variable_scope(tf.get_variable_scope()):  # BUG: reuse=(i > 0) forgotten
                    logits = model(image_splits[i])
                    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
                        labels=label_splits[i], logits=logits))
                    tower_grads.append(opt.compute_gradients(loss))
    train_op = opt.apply_gradients(average_gradients(tower_grads), global_step=global_step)
    with tf.Session() as sess:
        sess.run(train_op)
    for v in tf.global_variables():
        print(v.name, v.shape)


if __name__ == "__main__":
    main()
