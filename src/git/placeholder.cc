namespace sei::git { int kGitPlaceholder = 0; }
