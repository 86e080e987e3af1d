"""examples/python/seq2seq_bug_noreuse.py - seq2seq.py whose inference decoder
forgets reuse=True, so its projection layer tries to make
decoder/projection/kernel again (ValueError).
Run: vstrace record -- python3 -m vstrace.run examples/python/seq2seq_bug_noreuse.py"""
import tensorflow as tf

VOCAB, EMB, HIDDEN, BATCH, SRC_LEN, TGT_LEN, GO = 1000, 64, 128, 32, 20, 10, 1


def main():
    src = tf.placeholder(tf.int32, [BATCH, SRC_LEN], name="source")
    tgt_in = tf.placeholder(tf.int32, [BATCH, TGT_LEN], name="target_input")
    embedding = tf.get_variable("embedding", [VOCAB, EMB])

    with tf.variable_scope("encoder"):
        enc_cell = tf.nn.rnn_cell.LSTMCell(HIDDEN)
        enc_out, enc_state = tf.nn.dynamic_rnn(
            enc_cell, tf.nn.embedding_lookup(embedding, src), dtype=tf.float32)

    dec_cell = tf.nn.rnn_cell.LSTMCell(HIDDEN)
    with tf.variable_scope("decoder"):
        dec_out, _ = tf.nn.dynamic_rnn(dec_cell, tf.nn.embedding_lookup(embedding, tgt_in),
                                       initial_state=enc_state)
        logits = tf.layers.dense(dec_out, VOCAB, name="projection")
    loss = tf.reduce_mean(logits)
    train_op = tf.train.AdamOptimizer(1e-3).minimize(loss)

    # greedy inference decoder: same cell, same projection
    with tf.variable_scope("decoder"):  # BUG: reuse=True forgotten
        state = enc_state
        tokens = tf.fill([BATCH], GO)
        predictions = []
        for _ in range(TGT_LEN):
            out, state = dec_cell(tf.nn.embedding_lookup(embedding, tokens), state)
            step_logits = tf.layers.dense(out, VOCAB, name="projection")
            tokens = tf.argmax(step_logits, axis=-1, output_type=tf.int32)
            predictions.append(tokens)
    with tf.Session() as sess:
        sess.run(train_op)
    for v in tf.global_variables():
        print(v.name, v.shape)


if __name__ == "__main__":
    main()
