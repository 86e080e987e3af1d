# source: https://github.com/tensorflow/tensorflow/issues/11333
# The notebook builds slim's vgg_16 for its training images and calls
# vgg.vgg_16 again for a second input, in the same graph and without
# reuse=True: "Variable vgg_16/conv1/conv1_1/weights already exists,
# disallowed".  Build the second one inside
# tf.variable_scope(tf.get_variable_scope(), reuse=True).
# RAISES: ValueError: Variable vgg_16/conv1/conv1_1/weights already exists
import tensorflow as tf
import tensorflow.contrib.slim as slim
from tensorflow.contrib.slim.nets import vgg

images = tf.placeholder(tf.float32, [None, 224, 224, 3])
val_images = tf.placeholder(tf.float32, [None, 224, 224, 3])
with slim.arg_scope(vgg.vgg_arg_scope()):
    logits, _ = vgg.vgg_16(images, num_classes=20, is_training=True)
    val_logits, _ = vgg.vgg_16(val_images, num_classes=20, is_training=False)  # EXPECT: any
