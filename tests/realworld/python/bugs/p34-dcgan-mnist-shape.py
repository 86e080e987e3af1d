# source: https://github.com/carpedm20/DCGAN-tensorflow/issues/116
# discriminator(self.G, self.y, reuse=True) shares d_h2_lin with the call on
# real images, but the generated batch (with the labels concatenated) has
# another size, so the flattened width differs: "Trying to share variable
# discriminator/d_h2_lin/Matrix, but specified shape (...) and found
# shape (...)".
# RAISES: ValueError: Trying to share variable discriminator/d_h2_lin/Matrix
import tensorflow as tf

batch_size, y_dim, df_dim, dfc_dim = 64, 10, 64, 1024


def conv_cond_concat(x, y):
    x_shapes, y_shapes = x.get_shape(), y.get_shape()
    return tf.concat([x, y * tf.ones([x_shapes[0], x_shapes[1], x_shapes[2], y_shapes[3]])], 3)


def conv2d(x, out, name):
    with tf.variable_scope(name):
        w = tf.get_variable("w", [5, 5, x.get_shape()[-1], out])
        return tf.nn.conv2d(x, w, strides=[1, 2, 2, 1], padding="SAME")


def linear(input_, output_size, scope=None):
    shape = input_.get_shape().as_list()
    with tf.variable_scope(scope or "Linear"):
        matrix = tf.get_variable("Matrix", [shape[1], output_size], tf.float32,
                                 tf.random_normal_initializer(stddev=0.02))
        return tf.matmul(input_, matrix)


def discriminator(image, y=None, reuse=False):
    with tf.variable_scope("discriminator") as scope:
        if reuse:
            scope.reuse_variables()
        yb = tf.reshape(y, [batch_size, 1, 1, y_dim])
        x = conv_cond_concat(image, yb)
        h0 = tf.nn.leaky_relu(conv2d(x, 1 + y_dim, name="d_h0_conv"))
        h0 = conv_cond_concat(h0, yb)
        h1 = tf.nn.leaky_relu(conv2d(h0, df_dim + y_dim, name="d_h1_conv"))
        h1 = tf.reshape(h1, [batch_size, -1])
        h1 = tf.concat([h1, y], 1)
        h2 = tf.nn.leaky_relu(linear(h1, dfc_dim, "d_h2_lin"))
        return linear(h2, 1, "d_h3_lin")


inputs = tf.placeholder(tf.float32, [batch_size, 28, 28, 1], name="real_images")
y = tf.placeholder(tf.float32, [batch_size, y_dim], name="y")
G = tf.placeholder(tf.float32, [batch_size, 64, 64, 1], name="G")
D_logits = discriminator(inputs, y, reuse=False)
D_logits_ = discriminator(G, y, reuse=True)  # EXPECT: any
