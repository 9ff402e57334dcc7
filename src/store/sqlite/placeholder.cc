namespace sei { int kSqlitePlaceholder = 0; }
