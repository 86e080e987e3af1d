# source: https://github.com/lpty/tensorflow_tutorial/issues/9
# generator_graph() opens variable_scope('generator') and calls
# tf.layers.dense unnamed.  train() and then gen() both build it in the one
# default graph; the second build's layer scope is 'generator/dense' again
# (the default-name counters below 'generator' restart), so "Variable
# generator/dense/kernel already exists, disallowed".
# RAISES: ValueError: Variable generator/dense/kernel already exists
import tensorflow as tf


def generator_graph(fake_imgs, units_size, out_size, alpha=0.01):
    with tf.variable_scope("generator"):
        layer = tf.layers.dense(fake_imgs, units_size)
        relu = tf.maximum(alpha * layer, layer)
        drop = tf.layers.dropout(relu, rate=0.2)
        logits = tf.layers.dense(drop, out_size)
        outputs = tf.tanh(logits)
        return logits, outputs


class Gan(object):
    def __init__(self):
        self.img_size, self.noise_size, self.units_size = 784, 100, 128

    def train(self):
        fake_imgs = tf.placeholder(tf.float32, [None, self.noise_size], name="fake_imgs")
        _, g_outputs = generator_graph(fake_imgs, self.units_size, self.img_size)
        return g_outputs

    def gen(self):
        sample_imgs = tf.placeholder(tf.float32, [None, self.noise_size], name="sample_imgs")
        _, samples = generator_graph(sample_imgs, self.units_size, self.img_size)  # EXPECT: any
        return samples


gan = Gan()
gan.train()
gan.gen()  # EXPECT: any
