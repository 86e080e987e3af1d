# source: https://github.com/tensorflow/tensorflow/issues/11333 (the fix the
# thread settles on: build the network once per input under one scope, the
# second time with reuse=True)
# A small slim network (arg_scope, repeat, max_pool2d, fully_connected)
# built for train and validation images; the second build reuses.
import tensorflow as tf

slim = tf.contrib.slim


def net(images, reuse=None):
    with tf.variable_scope("vgg_small", reuse=reuse):
        with slim.arg_scope([slim.conv2d, slim.fully_connected], activation_fn=tf.nn.relu,
                            weights_regularizer=slim.l2_regularizer(5e-4)):
            x = slim.repeat(images, 2, slim.conv2d, 64, [3, 3], scope="conv1")
            x = slim.max_pool2d(x, [2, 2], scope="pool1")
            x = slim.flatten(x)
            return slim.fully_connected(x, 10, activation_fn=None, scope="fc")


train_images = tf.placeholder(tf.float32, [32, 32, 32, 3])
val_images = tf.placeholder(tf.float32, [32, 32, 32, 3])
train_logits = net(train_images)
val_logits = net(val_images, reuse=True)
print(len(slim.get_model_variables()), "model variables")
