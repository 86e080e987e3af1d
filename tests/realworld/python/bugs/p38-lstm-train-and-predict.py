# source: https://github.com/tensorflow/tensorflow/issues/8771
# A stock-prediction script builds its LSTM in lstm(batch) and calls it once
# for training and again for prediction in the same graph, each time opening
# variable_scope('lstm_def') without reuse: "Variable
# lstm_def/rnn/basic_lstm_cell/kernel already exists, disallowed" (the
# reporter's TF 1.0 said .../weights).  The prediction call must reuse the
# trained weights.
# RAISES: ValueError: Variable lstm_def/rnn/basic_lstm_cell/kernel already exists
import tensorflow as tf

rnn_unit, input_size, output_size, time_step = 10, 7, 1, 20
X = tf.placeholder(tf.float32, shape=[None, time_step, input_size])
Y = tf.placeholder(tf.float32, shape=[None, time_step, output_size])
weights = {"in": tf.Variable(tf.random_normal([input_size, rnn_unit])),
           "out": tf.Variable(tf.random_normal([rnn_unit, 1]))}
biases = {"in": tf.Variable(tf.constant(0.1, shape=[rnn_unit, ])),
          "out": tf.Variable(tf.constant(0.1, shape=[1, ]))}


def lstm(batch):
    w_in, b_in = weights["in"], biases["in"]
    input = tf.reshape(X, [-1, input_size])
    input_rnn = tf.matmul(input, w_in) + b_in
    input_rnn = tf.reshape(input_rnn, [-1, time_step, rnn_unit])
    with tf.variable_scope("cell_def"):
        cell = tf.contrib.rnn.BasicLSTMCell(rnn_unit)
        init_state = cell.zero_state(batch, dtype=tf.float32)
    with tf.variable_scope("lstm_def"):
        output_rnn, final_states = tf.nn.dynamic_rnn(cell, input_rnn, initial_state=init_state,
                                                     dtype=tf.float32)
    output = tf.reshape(output_rnn, [-1, rnn_unit])
    return tf.matmul(output, weights["out"]) + biases["out"], final_states


def train_lstm(batch_size=80):
    pred, _ = lstm(batch_size)
    loss = tf.reduce_mean(tf.square(tf.reshape(pred, [-1]) - tf.reshape(Y, [-1])))
    return tf.train.AdamOptimizer(0.0006).minimize(loss)


def prediction():
    pred, _ = lstm(1)  # EXPECT: any
    return pred


train_op = train_lstm()
predict = prediction()  # EXPECT: any
