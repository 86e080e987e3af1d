# source: https://github.com/uclaacmai/Generative-Adversarial-Network-Tutorial/pull/11
# (the fix for issue 8: the sampling call passes reuse=True, so it shares the
# trained generator's variables)
import tensorflow as tf

z_dimensions = 100


def generator(z, batch_size, z_dim, reuse=False):
    with tf.variable_scope("generator", reuse=reuse):
        g_w1 = tf.get_variable("g_w1", [z_dim, 3136], initializer=tf.truncated_normal_initializer(stddev=0.02))
        g_b1 = tf.get_variable("g_b1", [3136], initializer=tf.truncated_normal_initializer(stddev=0.02))
        g1 = tf.reshape(tf.matmul(z, g_w1) + g_b1, [-1, 56, 56, 1])
        return tf.sigmoid(tf.contrib.layers.batch_norm(g1, epsilon=1e-5, scope="bn1"))


z_placeholder = tf.placeholder(tf.float32, [None, z_dimensions], name="z_placeholder")
Gz = generator(z_placeholder, 50, z_dimensions)
g_trainer = tf.train.AdamOptimizer(0.0001).minimize(tf.reduce_mean(Gz))
sample_image = generator(z_placeholder, 1, z_dimensions, reuse=True)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    temp = sess.run(sample_image, feed_dict={z_placeholder: None})
    print(temp.squeeze().shape)
