import tkinter

root = tkinter.Tk()
root.title("Launcher")
root.mainloop()
