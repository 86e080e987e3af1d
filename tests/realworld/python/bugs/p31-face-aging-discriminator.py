# source: https://github.com/ZZUTK/Face-Aging-CAAE/issues/4 (same report:
# https://github.com/HuiDingUMD/ExprGAN/issues/7)
# discriminator_img(x, reuse_variables=True) runs `if reuse_variables:
# tf.get_variable_scope().reuse_variables()` before its layers, i.e. on the
# root scope; from then on every scope reuses, and the AdamOptimizer of the
# encoder cannot create its slots: "Variable E_conv0/w/Adam/ does not
# exist".  (The reporter's TF r0.12 did not make slots with get_variable.)
# RAISES: ValueError: Variable E_conv0/w/Adam/ does not exist
import tensorflow as tf


def conv2d(input_map, num_output_channels, size_kernel=5, stride=2, name="conv2d"):
    with tf.variable_scope(name):
        kernel = tf.get_variable("w", [size_kernel, size_kernel, input_map.get_shape()[-1],
                                       num_output_channels],
                                 initializer=tf.truncated_normal_initializer(stddev=0.02))
        biases = tf.get_variable("b", [num_output_channels], initializer=tf.constant_initializer(0.0))
        conv = tf.nn.conv2d(input_map, kernel, strides=[1, stride, stride, 1], padding="SAME")
        return tf.nn.bias_add(conv, biases)


def encoder(image):
    return tf.nn.relu(conv2d(image, 64, name="E_conv0"))


def discriminator_img(image, reuse_variables=False):
    if reuse_variables:
        tf.get_variable_scope().reuse_variables()  # EXPECT: any
    h = tf.nn.relu(conv2d(image, 16, name="D_img_conv0"))
    return tf.reduce_mean(h)


input_image = tf.placeholder(tf.float32, [25, 128, 128, 3])
z = encoder(input_image)
d_real = discriminator_img(input_image)
d_fake = discriminator_img(tf.image.resize_images(z, [128, 128]), reuse_variables=True)
loss_EG = tf.reduce_mean(tf.abs(input_image)) - d_fake
E_variables = [var for var in tf.trainable_variables() if "E_" in var.name]
EG_optimizer = tf.train.AdamOptimizer(learning_rate=2e-4, beta1=0.5).minimize(loss_EG, var_list=E_variables)
