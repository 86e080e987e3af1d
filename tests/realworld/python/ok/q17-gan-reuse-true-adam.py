# source: https://github.com/tensorflow/tensorflow/issues/11637 (and the
# explanation in https://github.com/tensorflow/tensorflow/issues/6220: the
# optimizer must run where reuse is off)
# discriminator(x, reuse) enters variable_scope("discriminator",
# reuse=reuse); the second call passes reuse=True.  The root scope never
# reuses, so both optimizers create their slots.
import tensorflow as tf


def generator(z):
    with tf.variable_scope("generator"):
        return tf.nn.tanh(tf.layers.dense(z, 784, name="hidden"))


def discriminator(x, reuse=False):
    with tf.variable_scope("discriminator", reuse=reuse):
        h = tf.nn.leaky_relu(tf.layers.dense(x, 128, name="hidden"))
        return tf.layers.dense(h, 1, name="logits")


z = tf.placeholder(tf.float32, [None, 100])
x = tf.placeholder(tf.float32, [None, 784])
G = generator(z)
D_real = discriminator(x)
D_fake = discriminator(G, reuse=True)
d_loss = tf.reduce_mean(D_fake) - tf.reduce_mean(D_real)
g_loss = -tf.reduce_mean(D_fake)
d_vars = [v for v in tf.trainable_variables() if v.name.startswith("discriminator/")]
g_vars = [v for v in tf.trainable_variables() if v.name.startswith("generator/")]
d_opt = tf.train.AdamOptimizer(2e-4, beta1=0.5).minimize(d_loss, var_list=d_vars)
g_opt = tf.train.AdamOptimizer(2e-4, beta1=0.5).minimize(g_loss, var_list=g_vars)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(3):
        _, dl = sess.run([d_opt, d_loss], feed_dict={x: None, z: None})
        _, gl = sess.run([g_opt, g_loss], feed_dict={z: None})
        print("step %d: d_loss %.4f g_loss %.4f" % (step, dl, gl))
