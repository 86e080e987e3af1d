# source: https://github.com/guillaume-chevalier/LSTM-Human-Activity-Recognition/issues/14
# The notebook's graph cell (`pred = LSTM_RNN(x, weights, biases)`, the loss
# and the Adam optimizer) is run a second time in the same kernel: the two
# stacked LSTM cells are built again in the same default graph: "Variable
# rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel already exists".
# RAISES: ValueError: Variable rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel already exists
import tensorflow as tf

n_steps, n_input, n_hidden, n_classes = 128, 9, 32, 6


def LSTM_RNN(_X, _weights, _biases):
    _X = tf.transpose(_X, [1, 0, 2])
    _X = tf.reshape(_X, [-1, n_input])
    _X = tf.nn.relu(tf.matmul(_X, _weights["hidden"]) + _biases["hidden"])
    _X = tf.split(_X, n_steps, 0)
    lstm_cell_1 = tf.contrib.rnn.BasicLSTMCell(n_hidden, forget_bias=1.0, state_is_tuple=True)
    lstm_cell_2 = tf.contrib.rnn.BasicLSTMCell(n_hidden, forget_bias=1.0, state_is_tuple=True)
    lstm_cells = tf.contrib.rnn.MultiRNNCell([lstm_cell_1, lstm_cell_2], state_is_tuple=True)
    outputs, states = tf.contrib.rnn.static_rnn(lstm_cells, _X, dtype=tf.float32)
    return tf.matmul(outputs[-1], _weights["out"]) + _biases["out"]


def graph_cell():
    x = tf.placeholder(tf.float32, [None, n_steps, n_input])
    y = tf.placeholder(tf.float32, [None, n_classes])
    weights = {"hidden": tf.Variable(tf.random_normal([n_input, n_hidden])),
               "out": tf.Variable(tf.random_normal([n_hidden, n_classes], mean=1.0))}
    biases = {"hidden": tf.Variable(tf.random_normal([n_hidden])),
              "out": tf.Variable(tf.random_normal([n_classes]))}
    pred = LSTM_RNN(x, weights, biases)
    l2 = 0.0015 * sum(tf.nn.l2_loss(tf_var) for tf_var in tf.trainable_variables())
    cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=pred)) + l2
    return tf.train.AdamOptimizer(learning_rate=0.0025).minimize(cost)


optimizer = graph_cell()
optimizer = graph_cell()  # the cell run again  # EXPECT: any
