process.env.NODE_NO_WARNINGS ??= "1";
