Jfunction (
