# source: https://github.com/tensorflow/tensorflow/issues/8957
# The CIFAR-10 multi-GPU recipe: each tower under tf.name_scope, then
# tf.get_variable_scope().reuse_variables() so the next tower shares.  With
# AdamOptimizer instead of SGD, apply_gradients() creates slots after the
# loop and fails: "Variable conv1_1/kernel/Adam/ does not exist".
# RAISES: ValueError: Variable conv1_1/kernel/Adam/ does not exist
import tensorflow as tf

NUM_GPUS = 2


def inference(images):
    conv1 = tf.layers.conv2d(images, 64, 3, padding="same", activation=tf.nn.relu, name="conv1_1")
    pool1 = tf.layers.max_pooling2d(conv1, 2, 2)
    flat = tf.layers.flatten(pool1)
    return tf.layers.dense(flat, 10, name="logits")


def tower_loss(scope, images, labels):
    logits = inference(images)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
    tf.add_to_collection("losses", loss)
    return tf.add_n(tf.get_collection("losses", scope), name="total_loss")


def average_gradients(tower_grads):
    average_grads = []
    for grad_and_vars in zip(*tower_grads):
        grads = [tf.expand_dims(g, 0) for g, _ in grad_and_vars]
        grad = tf.reduce_mean(tf.concat(axis=0, values=grads), 0)
        average_grads.append((grad, grad_and_vars[0][1]))
    return average_grads


with tf.Graph().as_default(), tf.device("/cpu:0"):
    global_step = tf.train.get_or_create_global_step()
    opt = tf.train.AdamOptimizer(1e-3)
    images = tf.placeholder(tf.float32, [128, 32, 32, 3])
    labels = tf.placeholder(tf.int32, [128])
    tower_grads = []
    for i in range(NUM_GPUS):
        with tf.device("/gpu:%d" % i):
            with tf.name_scope("tower_%d" % i) as scope:
                loss = tower_loss(scope, images, labels)
                tf.get_variable_scope().reuse_variables()  # EXPECT: any
                grads = opt.compute_gradients(loss)
                tower_grads.append(grads)
    grads = average_gradients(tower_grads)
    apply_gradient_op = opt.apply_gradients(grads, global_step=global_step)
