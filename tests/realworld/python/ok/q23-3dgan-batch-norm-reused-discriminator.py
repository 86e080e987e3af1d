# source: https://github.com/meetps/tf-3dgan/issues/6 (fixed in
# https://github.com/meetps/tf-3dgan/pull/11)
# The discriminator opens variable_scope("dis", reuse=reuse) and normalises
# with unnamed tf.contrib.layers.batch_norm calls; it is applied to real and
# (reuse=True) generated volumes.  Under TF 1.1 the batch norm layer ignored
# the enclosing reuse ("dis/BatchNorm/beta already exists"); under TF 1.15
# the default-named BatchNorm scopes restart in the re-entered "dis" scope
# and inherit its reuse, so both calls share dis/BatchNorm and
# dis/BatchNorm_1.
import tensorflow as tf

batch_size, cube_len = 4, 16


def discriminator(inputs, phase_train=True, reuse=False):
    strides = [1, 2, 2, 2, 1]
    with tf.variable_scope("dis", reuse=reuse):
        wd1 = tf.get_variable("wd1", [4, 4, 4, 1, 32], initializer=tf.contrib.layers.xavier_initializer())
        d_1 = tf.nn.conv3d(inputs, wd1, strides=strides, padding="SAME")
        d_1 = tf.contrib.layers.batch_norm(d_1, is_training=phase_train)
        d_1 = tf.nn.leaky_relu(d_1, 0.2)
        wd2 = tf.get_variable("wd2", [4, 4, 4, 32, 64], initializer=tf.contrib.layers.xavier_initializer())
        d_2 = tf.nn.conv3d(d_1, wd2, strides=strides, padding="SAME")
        d_2 = tf.contrib.layers.batch_norm(d_2, is_training=phase_train)
        d_2 = tf.nn.leaky_relu(d_2, 0.2)
        return tf.reduce_mean(d_2, [1, 2, 3, 4])


x_vector = tf.placeholder(tf.float32, [batch_size, cube_len, cube_len, cube_len, 1])
net_g_train = tf.placeholder(tf.float32, [batch_size, cube_len, cube_len, cube_len, 1])
d_output_x = discriminator(x_vector, phase_train=True, reuse=False)
d_output_z = discriminator(net_g_train, phase_train=True, reuse=True)
d_loss = -tf.reduce_mean(tf.log(d_output_x) + tf.log(1 - d_output_z))
para_d = [var for var in tf.trainable_variables() if "dis" in var.name]
optimizer_op_d = tf.train.AdamOptimizer(learning_rate=0.001, beta1=0.5).minimize(d_loss, var_list=para_d)
print(len(tf.global_variables()), "variables")
