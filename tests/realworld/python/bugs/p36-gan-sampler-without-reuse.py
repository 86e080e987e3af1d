# source: https://github.com/uclaacmai/Generative-Adversarial-Network-Tutorial/issues/8
# (fixed in https://github.com/uclaacmai/Generative-Adversarial-Network-Tutorial/pull/11)
# After training, the notebook builds a sampler with
# `sample_image = generator(z_placeholder, 1, z_dimensions)`, a second call
# of generator() in the same graph without reuse=True: "Variable g_w1
# already exists, disallowed".  The sampler must share the trained
# generator (reuse=True).
# RAISES: ValueError: Variable g_w1 already exists
import tensorflow as tf

z_dimensions = 100


def generator(z, batch_size, z_dim, reuse=False):
    with tf.variable_scope(tf.get_variable_scope(), reuse=reuse):
        g_w1 = tf.get_variable("g_w1", [z_dim, 3136], dtype=tf.float32,
                               initializer=tf.truncated_normal_initializer(stddev=0.02))
        g_b1 = tf.get_variable("g_b1", [3136], initializer=tf.truncated_normal_initializer(stddev=0.02))
        g1 = tf.matmul(z, g_w1) + g_b1
        g1 = tf.reshape(g1, [-1, 56, 56, 1])
        g1 = tf.nn.relu(tf.contrib.layers.batch_norm(g1, epsilon=1e-5, scope="g_b1"))
        g_w2 = tf.get_variable("g_w2", [3, 3, 1, z_dim // 2], dtype=tf.float32,
                               initializer=tf.truncated_normal_initializer(stddev=0.02))
        g2 = tf.nn.conv2d(g1, g_w2, strides=[1, 2, 2, 1], padding="SAME")
        return tf.sigmoid(g2)


z_placeholder = tf.placeholder(tf.float32, [None, z_dimensions], name="z_placeholder")
Gz = generator(z_placeholder, 50, z_dimensions)
g_loss = tf.reduce_mean(Gz)
g_trainer = tf.train.AdamOptimizer(0.0001).minimize(g_loss)
sess = tf.Session()
sess.run(tf.global_variables_initializer())
for i in range(3):
    _, gl = sess.run([g_trainer, g_loss], feed_dict={z_placeholder: None})
    print("iteration %d: g_loss %.3f" % (i, gl))

# In [49]: look at a sample
sample_image = generator(z_placeholder, 1, z_dimensions)  # EXPECT: any
temp = sess.run(sample_image, feed_dict={z_placeholder: None})
