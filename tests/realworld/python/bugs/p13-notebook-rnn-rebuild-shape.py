# source: https://github.com/ageron/handson-ml/issues/60
# The chapter's stacked RNN is built in a notebook cell, then the cell is
# edited (another input size) and run again in the same kernel without
# reset_graph(): the RNN's variables already exist in the default graph, and
# the second build collides with them.  The reporter's TF said "Trying to
# share variable rnn/multi_rnn_cell/cell_0/basic_rnn_cell/kernel, but
# specified shape (300, 150) and found shape (178, 150)"; TF 1.15 stops at
# the same variable with "already exists".  Fix: reset_graph() at the top of
# the cell.
# RAISES: ValueError: Variable rnn/multi_rnn_cell/cell_0/basic_rnn_cell/kernel already exists
import tensorflow as tf

n_neurons, n_layers = 150, 3

# In [20]:
n_steps, n_inputs = 28, 28
X = tf.placeholder(tf.float32, [None, n_steps, n_inputs])
layers = [tf.contrib.rnn.BasicRNNCell(num_units=n_neurons, activation=tf.nn.relu)
          for layer in range(n_layers)]
multi_layer_cell = tf.contrib.rnn.MultiRNNCell(layers)
outputs, states = tf.nn.dynamic_rnn(multi_layer_cell, X, dtype=tf.float32)

# In [20] again, edited: 150 inputs per step now
n_steps, n_inputs = 20, 150
X = tf.placeholder(tf.float32, [None, n_steps, n_inputs])
layers = [tf.contrib.rnn.BasicRNNCell(num_units=n_neurons, activation=tf.nn.relu)
          for layer in range(n_layers)]
multi_layer_cell = tf.contrib.rnn.MultiRNNCell(layers)
outputs, states = tf.nn.dynamic_rnn(multi_layer_cell, X, dtype=tf.float32)  # EXPECT: any
