@app.route('/x', methods=['GET'])
@login_required
def view():
    return redirect(request.args.get('next'))
