# source: https://github.com/tensorflow/tensorflow/issues/23572
# infer3(x, Reuse) wraps tf.keras.layers.Conv2D(name='conv1') in
# variable_scope('Network', reuse=Reuse) and is called twice, the second
# time with Reuse=True to share the network with the test input.  Keras
# layers create their weights as tf.Variable objects (add_weight), not
# through get_variable, so the reusing call silently makes a second kernel.
import tensorflow as tf


def infer3(x, Reuse):
    with tf.variable_scope("Network", reuse=Reuse):
        conv1 = tf.keras.layers.Conv2D(64, (3, 3), padding="same", activation="relu",
                                       name="conv1")(x)  # EXPECT: any
        pool = tf.layers.max_pooling2d(conv1, 2, 2)
        return tf.layers.dense(tf.layers.flatten(pool), 10, name="logits")


x = tf.placeholder(tf.float32, [None, 28, 28, 1])
x_test = tf.placeholder(tf.float32, [None, 28, 28, 1])
network = infer3(x, False)
network_test = infer3(x_test, True)
print(len(tf.trainable_variables()), "trainable variables")
