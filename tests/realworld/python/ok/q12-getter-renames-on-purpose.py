# source: https://github.com/facebookresearch/ImageNet-Adversarial-Training/issues/18
# (custom getters that change what get_variable creates, for mixed
# precision); the renaming variant: the getter asks for name + "_fp16" on
# every call, so the model's second build with reuse=True finds w_fp16 again.
import tensorflow as tf


def fp16_getter(getter, name, *args, **kwargs):
    return getter(name + "_fp16", *args, **kwargs)


def model(x, reuse=None):
    with tf.variable_scope("model", custom_getter=fp16_getter, reuse=reuse):
        w = tf.get_variable("w", [3, 3])
        return tf.matmul(x, w)


x = tf.placeholder(tf.float32, [None, 3])
y1 = model(x)
y2 = model(x, reuse=True)
