# source: https://github.com/tensorflow/tensorflow/issues/18248
# A CudnnGRU layer is first called inside tf.cond (one branch for training,
# one for inference), so its opaque kernel is created in the branch with an
# initializer computed there: "Initializer for variable
# cudnn_gru/opaque_kernel/ is from inside a control-flow construct, such as
# a loop or conditional".  Build the layer once before the cond.
# RAISES: ValueError: Initializer for variable cudnn_gru/opaque_kernel/ is from inside a control-flow construct
import tensorflow as tf

inputs = tf.placeholder(tf.float32, [20, 32, 64])  # time-major
is_training = tf.placeholder(tf.bool, [])
gru = tf.contrib.cudnn_rnn.CudnnGRU(num_layers=1, num_units=128)
outputs, _ = tf.cond(is_training,
                     lambda: gru(inputs, training=True),  # EXPECT: any
                     lambda: gru(inputs, training=False))
