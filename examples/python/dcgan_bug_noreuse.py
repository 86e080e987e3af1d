"""examples/python/dcgan_bug_noreuse.py - dcgan.py with the most common GAN
bug: the second discriminator call, on the generator's output, forgets
reuse=True, so the discriminator's first layer is made again (ValueError:
Variable discriminator/d_h0_conv/kernel already exists).
Run: vstrace record -- python3 -m vstrace.run examples/python/dcgan_bug_noreuse.py"""
import tensorflow as tf

BATCH, Z_DIM = 64, 100


def generator(z):
    with tf.variable_scope("generator"):
        h0 = tf.layers.dense(z, 4 * 4 * 256, name="g_h0_lin")
        h0 = tf.reshape(h0, [-1, 4, 4, 256])
        h0 = tf.nn.relu(tf.layers.batch_normalization(h0, training=True, name="g_bn0"))
        h1 = tf.layers.conv2d_transpose(h0, 128, 5, strides=2, padding="same", name="g_h1")
        h1 = tf.nn.relu(tf.layers.batch_normalization(h1, training=True, name="g_bn1"))
        h2 = tf.layers.conv2d_transpose(h1, 64, 5, strides=2, padding="same", name="g_h2")
        h2 = tf.nn.relu(tf.layers.batch_normalization(h2, training=True, name="g_bn2"))
        h3 = tf.layers.conv2d_transpose(h2, 3, 5, strides=2, padding="same", name="g_h3")
        return tf.nn.tanh(h3)


def discriminator(image, reuse=False):
    with tf.variable_scope("discriminator", reuse=reuse):
        h0 = tf.layers.conv2d(image, 64, 5, strides=2, padding="same", name="d_h0_conv")
        h0 = tf.nn.leaky_relu(h0)
        h1 = tf.layers.conv2d(h0, 128, 5, strides=2, padding="same", name="d_h1_conv")
        h1 = tf.nn.leaky_relu(tf.layers.batch_normalization(h1, training=True, name="d_bn1"))
        logits = tf.layers.dense(tf.layers.flatten(h1), 1, name="d_h2_lin")
        return tf.nn.sigmoid(logits), logits


def main():
    z = tf.placeholder(tf.float32, [BATCH, Z_DIM], name="z")
    images = tf.placeholder(tf.float32, [BATCH, 32, 32, 3], name="real_images")
    G = generator(z)
    D, D_logits = discriminator(images)
    D_, D_logits_ = discriminator(G)  # BUG: reuse=True forgotten
    d_loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(
        logits=D_logits, labels=tf.ones_like(D))) + tf.reduce_mean(
        tf.nn.sigmoid_cross_entropy_with_logits(logits=D_logits_, labels=tf.zeros_like(D_)))
    g_loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(
        logits=D_logits_, labels=tf.ones_like(D_)))
    t_vars = tf.trainable_variables()
    d_vars = [v for v in t_vars if v.name.startswith("discriminator/")]
    g_vars = [v for v in t_vars if v.name.startswith("generator/")]
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        d_optim = tf.train.AdamOptimizer(2e-4, beta1=0.5).minimize(d_loss, var_list=d_vars)
        g_optim = tf.train.AdamOptimizer(2e-4, beta1=0.5).minimize(g_loss, var_list=g_vars)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run([d_optim, g_optim])
    for v in tf.global_variables():
        print(v.name, v.shape)


if __name__ == "__main__":
    main()
