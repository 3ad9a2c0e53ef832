def timeout():
<<<<<<< HEAD  # expect: INPUT003
    return 30
=======
    return 60
>>>>>>> feature/slow-backend
