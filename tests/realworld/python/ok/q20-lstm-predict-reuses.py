# source: https://github.com/tensorflow/tensorflow/issues/8771 (the fix:
# build the prediction graph with reuse, sharing the trained LSTM)
# lstm(batch, reuse) opens its scopes with reuse=reuse; the prediction graph
# passes reuse=True.
import tensorflow as tf

rnn_unit, input_size, time_step = 10, 7, 20
X = tf.placeholder(tf.float32, shape=[None, time_step, input_size])


def lstm(batch, reuse=None):
    with tf.variable_scope("lstm_model", reuse=reuse):
        input_rnn = tf.layers.dense(tf.reshape(X, [-1, input_size]), rnn_unit, name="in")
        input_rnn = tf.reshape(input_rnn, [-1, time_step, rnn_unit])
        cell = tf.nn.rnn_cell.BasicLSTMCell(rnn_unit)
        init_state = cell.zero_state(batch, dtype=tf.float32)
        output_rnn, _ = tf.nn.dynamic_rnn(cell, input_rnn, initial_state=init_state)
        return tf.layers.dense(tf.reshape(output_rnn, [-1, rnn_unit]), 1, name="out")


train_pred = lstm(80)
loss = tf.reduce_mean(tf.square(train_pred))
train_op = tf.train.AdamOptimizer(0.0006).minimize(loss)
test_pred = lstm(1, reuse=True)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for i in range(2):
        _, loss_ = sess.run([train_op, loss])
        print(i, loss_)
    prob = sess.run(test_pred)
    print("prediction", prob[-1] if len(prob) else prob)
