namespace sei { int kStorePlaceholder = 0; }
