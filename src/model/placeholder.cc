namespace sei::model { int kModelPlaceholder = 0; }
