# source: https://github.com/aymericdamien/TensorFlow-Examples/issues/119
# "error when run all cells for a second time": the recurrent-network
# notebook's RNN() cell calls rnn.static_rnn; running all cells again in the
# same kernel builds it again in the same default graph, and the LSTM's
# weights already exist ("Variable rnn/basic_lstm_cell/kernel already
# exists, disallowed").  Fix: tf.reset_default_graph() at the top.
# RAISES: ValueError: Variable rnn/basic_lstm_cell/kernel already exists
import tensorflow as tf
from tensorflow.contrib import rnn

num_input, timesteps, num_hidden, num_classes = 28, 28, 128, 10


def RNN(x, weights, biases):
    x = tf.unstack(x, timesteps, 1)
    lstm_cell = rnn.BasicLSTMCell(num_hidden, forget_bias=1.0)
    outputs, states = rnn.static_rnn(lstm_cell, x, dtype=tf.float32)
    return tf.matmul(outputs[-1], weights["out"]) + biases["out"]


def all_cells():
    X = tf.placeholder("float", [None, timesteps, num_input])
    Y = tf.placeholder("float", [None, num_classes])
    weights = {"out": tf.Variable(tf.random_normal([num_hidden, num_classes]))}
    biases = {"out": tf.Variable(tf.random_normal([num_classes]))}
    logits = RNN(X, weights, biases)
    loss_op = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=Y))
    return tf.train.GradientDescentOptimizer(0.001).minimize(loss_op)


all_cells()  # Cell > Run All
all_cells()  # Cell > Run All, again  # EXPECT: any
