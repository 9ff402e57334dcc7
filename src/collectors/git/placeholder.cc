namespace sei { int kGitColPlaceholder = 0; }
